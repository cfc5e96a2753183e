package io.haquark.state;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic counters of a frontend, backend or server, named after HAProxy's stats fields
 * (management guide §9.1: stot, bin, bout, dreq, ereq, econ, eresp, hrsp_*, ...).
 */
public final class Counters {
    public final LongAdder sessionsTotal = new LongAdder();   // stot
    public final AtomicInteger sessionsCurrent = new AtomicInteger(); // scur
    public final AtomicInteger sessionsMax = new AtomicInteger();     // smax
    public final LongAdder bytesIn = new LongAdder();         // bin
    public final LongAdder bytesOut = new LongAdder();        // bout
    public final LongAdder deniedRequests = new LongAdder();  // dreq
    public final LongAdder deniedResponses = new LongAdder(); // dresp
    public final LongAdder requestErrors = new LongAdder();   // ereq
    public final LongAdder connectErrors = new LongAdder();   // econ
    public final LongAdder responseErrors = new LongAdder();  // eresp
    public final LongAdder retries = new LongAdder();         // wretr
    public final LongAdder redispatches = new LongAdder();    // wredis
    public final LongAdder requestsTotal = new LongAdder();   // req_tot
    public final LongAdder[] responsesByClass = {new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder(), new LongAdder(), new LongAdder()}; // hrsp_1xx..5xx, other
    public final LongAdder queuedTotal = new LongAdder();
    public final AtomicInteger queueCurrent = new AtomicInteger(); // qcur
    public final AtomicInteger queueMax = new AtomicInteger();     // qmax
    public final LongAdder clientAborts = new LongAdder();    // cli_abrt
    public final LongAdder serverAborts = new LongAdder();    // srv_abrt
    public final RateCounter sessionRate = new RateCounter();
    /** HTTP requests per second (fe_req_rate, the req_rate column). */
    public final RateCounter requestRate = new RateCounter();
    public final LongAdder totalTimeNanos = new LongAdder();
    public final AtomicLong lastSessionMs = new AtomicLong();

    public void sessionStarted() {
        sessionsTotal.increment();
        int cur = sessionsCurrent.incrementAndGet();
        sessionsMax.accumulateAndGet(cur, Math::max);
        sessionRate.hit();
        lastSessionMs.lazySet(System.currentTimeMillis());
    }

    public void sessionEnded() {
        sessionsCurrent.decrementAndGet();
    }

    public void response(int status) {
        int c = status / 100;
        responsesByClass[c >= 1 && c <= 5 ? c - 1 : 5].increment();
    }

    public void queued() {
        queuedTotal.increment();
        int q = queueCurrent.incrementAndGet();
        queueMax.accumulateAndGet(q, Math::max);
    }

    public void dequeued() {
        queueCurrent.decrementAndGet();
    }

    /** "clear counters": the maximum values start again from the current ones. */
    public void clearMax() {
        sessionsMax.set(sessionsCurrent.get());
        queueMax.set(queueCurrent.get());
    }

    /** "clear counters all": every total back to zero (current values stay: they are live state). */
    public void clearAll() {
        clearMax();
        for (LongAdder a : new LongAdder[] {sessionsTotal, bytesIn, bytesOut, deniedRequests, deniedResponses, requestErrors,
            connectErrors, responseErrors, retries, redispatches, requestsTotal, queuedTotal, clientAborts, serverAborts,
            totalTimeNanos}) {
            a.reset();
        }
        for (LongAdder a : responsesByClass) {
            a.reset();
        }
    }
}
