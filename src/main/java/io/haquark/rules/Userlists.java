package io.haquark.rules;

import io.haquark.model.Userlist;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.codec.digest.Crypt;

/**
 * Checks Basic credentials against "userlist" sections (configuration.txt §3.4): clear
 * text with insecure-password, crypt(3) hashes with password. Hashing is slow on purpose,
 * so verified pairs are remembered (bounded) and not hashed again for every request.
 */
public final class Userlists {
    private static final int CACHE_MAX = 10_000;
    private final Map<String, Userlist> lists;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    public Userlists(Map<String, Userlist> lists) {
        this.lists = lists;
    }

    /** The valid user of the request's Basic credentials in this userlist, or null. */
    public Userlist.User authenticate(String listName, String authorization) {
        Userlist list = lists.get(listName);
        if (list == null || authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        String pass = decoded.substring(colon + 1);
        for (Userlist.User u : list.users()) {
            if (u.name().equals(user) && u.password() != null && matches(listName, u, pass)) {
                return u;
            }
        }
        return null;
    }

    private boolean matches(String listName, Userlist.User u, String pass) {
        if (u.insecure()) {
            return u.password().equals(pass);
        }
        String key = listName + '\0' + u.name() + '\0' + pass;
        Boolean known = verified.get(key);
        if (known != null) {
            return known;
        }
        boolean ok;
        try {
            ok = Crypt.crypt(pass, u.password()).equals(u.password());
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (verified.size() < CACHE_MAX) {
            verified.put(key, ok);
        }
        return ok;
    }

    /** The groups of a user: declared on the user, or listing the user in "group ... users". */
    public List<String> groups(String listName, Userlist.User u) {
        List<String> out = new ArrayList<>(u.groups());
        Userlist list = lists.get(listName);
        if (list != null) {
            for (Userlist.Group g : list.groups()) {
                if (g.users().contains(u.name()) && !out.contains(g.name())) {
                    out.add(g.name());
                }
            }
        }
        return out;
    }
}
