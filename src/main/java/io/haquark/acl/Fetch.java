package io.haquark.acl;

/**
 * A sample fetch bound to its arguments. Returns a String, Long, Boolean, InetAddress, or
 * a java.util.List of them for multi-valued fetches; null when the sample is absent.
 */
@FunctionalInterface
public interface Fetch {
    Object fetch(SampleSource s);
}
