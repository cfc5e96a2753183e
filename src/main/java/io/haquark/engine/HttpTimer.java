package io.haquark.engine;

/** What the one timer of an HTTP connection is currently counting down (see SessionTimers). */
enum HttpTimer { NONE, REQUEST, KEEPALIVE, QUEUE, SERVER, CLIENT, TURNAROUND, TUNNEL, BODY }
