package io.haquark.acl;

/** An ACL or sample expression HAProxy would reject; the message is HAProxy-worded. */
public final class AclException extends RuntimeException {
    public AclException(String message) {
        super(message, null, false, false);
    }
}
