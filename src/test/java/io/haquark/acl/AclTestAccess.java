package io.haquark.acl;

/** Lets benchmarks in other packages use AclTest's fixed request. */
public final class AclTestAccess {
    public SampleSource request() {
        return new AclTest.Req();
    }
}
