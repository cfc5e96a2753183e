package io.haquark.engine;

/**
 * set-priority-class / set-priority-offset of a stream (configuration.txt §4.2): where it waits if
 * it must queue (LoadBalancer orders its queue by class, then queue time plus offset). Made only
 * for the streams that set one; a null Priority is class 0, offset 0.
 */
final class Priority {
    private long priorityClass;
    private long offset;

    static long classOf(Priority p) {
        return p == null ? 0 : p.priorityClass;
    }

    static long offsetOf(Priority p) {
        return p == null ? 0 : p.offset;
    }

    /** The stream's priority with one of its parts set (clamped to HAProxy's bounds). */
    static Priority with(Priority p, boolean offset, long value) {
        Priority q = p == null ? new Priority() : p;
        if (offset) {
            q.offset = io.haquark.acl.SampleSource.clampPriority(true, value);
        } else {
            q.priorityClass = io.haquark.acl.SampleSource.clampPriority(false, value);
        }
        return q;
    }
}
