package io.haquark.state;

import java.util.concurrent.atomic.AtomicLong;

/** Events per second over the last complete second, as HAProxy's "rate" columns show. */
public final class RateCounter {
    private final AtomicLong second = new AtomicLong();
    private final AtomicLong current = new AtomicLong();
    private volatile long previous;
    private volatile long max;

    public void hit() {
        long now = System.currentTimeMillis() / 1000;
        long s = second.get();
        if (s != now && second.compareAndSet(s, now)) {
            previous = now - s == 1 ? current.getAndSet(0) : swapOut();
        }
        long c = current.incrementAndGet();
        if (c > max) {
            max = c;
        }
    }

    private long swapOut() {
        current.set(0);
        return 0;
    }

    /** Rate of the last full second (0 when idle since). */
    public long rate() {
        long now = System.currentTimeMillis() / 1000;
        long s = second.get();
        if (s == now) {
            return previous;
        }
        return s == now - 1 ? current.get() : 0;
    }

    public long max() {
        return max;
    }
}
