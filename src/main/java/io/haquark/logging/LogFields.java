package io.haquark.logging;

import java.net.InetSocketAddress;

/**
 * What an access-log line reads about a finished transaction or TCP session, for the
 * log-format variables of configuration.txt §8.2.4 (%Tw, %ST, %tsc, %ac ...). Times are in
 * milliseconds, -1 when the step was not reached.
 */
public interface LogFields {
    /** Accept date, epoch ms (%t, %tr, %Ts ...). */
    long acceptMillis();

    /** %ft: the frontend name, with '~' after it on a TLS connection. */
    String frontendLabel();

    /** %s: the server that served, or "&lt;NOSRV&gt;". */
    String serverName();

    /** %TR, %Tw, %Tc, %Tr, %Ta, %Tt. */
    long requestTime();

    long queueTime();

    long connectTime();

    long responseTime();

    long activeTime();

    long totalTime();

    /** %ST; 0 in TCP mode. */
    int statusCode();

    /** %B: bytes sent to the client; %U: bytes received from it. */
    long bytesToClient();

    long bytesFromClient();

    /** %tsc: four characters (cause, step, persistence cookie flags). */
    String terminationState();

    /** %ac: haquark counts connections per frontend, so the process count shown is the frontend's. */
    default int processConnections() {
        return frontendConnections();
    }

    /** %fc %bc %sc %rc %sq %bq. */

    int frontendConnections();

    int backendConnections();

    int serverConnections();

    int retries();

    int serverQueue();

    int backendQueue();

    /** %CC %CS: captured cookies, "-" when none. */
    default String capturedCookie(boolean response) {
        return "-";
    }

    /** %hr %hs: captured headers as "{a|b}", or null when nothing is captured. */
    default String capturedHeaders(boolean response) {
        return null;
    }

    /** %r: the request line; null in TCP mode. */
    default String requestLine() {
        return null;
    }

    /** %ID: the unique id (unique-id-format), or null. */
    default String uniqueId() {
        return null;
    }

    /** %rt: this request's number in the process (HTTP requests and TCP sessions), from 0. */
    default long requestCounter() {
        return 0;
    }

    /** %si %sp: the server's address; %bi %bp: the local end of the server connection. */
    default InetSocketAddress serverAddress() {
        return null;
    }

    default InetSocketAddress backendSource() {
        return null;
    }
}
