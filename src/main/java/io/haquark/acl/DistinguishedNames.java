package io.haquark.acl;

import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Certificate names as OpenSSL prints them on one line ("/C=FR/O=Org/CN=name"), which HAProxy shows. */
public final class DistinguishedNames {
    private static final Map<String, String> OIDS = Map.of("1.2.840.113549.1.9.1", "emailAddress",
            "2.5.4.5", "serialNumber", "2.5.4.12", "title", "2.5.4.42", "GN", "2.5.4.4", "SN");

    private DistinguishedNames() {
    }

    /** The name's entries, the first of the certificate first; empty when it cannot be read. */
    static List<Rdn> entries(X500Principal p) {
        try {
            return new LdapName(p.getName(X500Principal.RFC2253, OIDS)).getRdns();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }

    public static String oneLine(X500Principal p) {
        StringBuilder sb = new StringBuilder();
        for (Rdn rdn : entries(p)) {
            sb.append('/').append(rdn.getType()).append('=').append(rdn.getValue());
        }
        return sb.toString();
    }
}
