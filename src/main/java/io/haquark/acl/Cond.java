package io.haquark.acl;

/** A compiled condition or ACL: one virtual call per evaluation, no allocation. */
@FunctionalInterface
public interface Cond {
    Cond ALWAYS = s -> true;

    boolean test(SampleSource s);
}
