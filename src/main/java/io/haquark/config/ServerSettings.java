package io.haquark.config;

import io.haquark.model.Location;
import io.haquark.model.Server;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server parameters while a {@code server} or {@code default-server} line is read. Starts
 * from HAProxy's built-in defaults (weight 1, inter 2000, rise 2, fall 3); a server line
 * starts from a copy of its proxy's {@code default-server} settings.
 */
final class ServerSettings {
    int weight = 1;
    boolean backup;
    boolean disabled;
    boolean check;
    int inter = 2000;
    int fastinter;
    int downinter;
    int rise = 2;
    int fall = 3;
    int checkPort;
    String checkAddr;
    boolean checkSsl;
    int maxconn;
    int maxqueue;
    int minconn;
    int slowstart;
    String cookie;
    boolean ssl;
    boolean sendProxy;
    boolean sendProxyV2;
    String redir;
    boolean resolveLater;
    final Map<String, String> options = new LinkedHashMap<>();
    /** Warnings a keyword raised while parsing this line; ServerLines reports them. */
    final java.util.List<String> warnings = new java.util.ArrayList<>();

    ServerSettings copy() {
        ServerSettings c = new ServerSettings();
        c.weight = weight;
        c.backup = backup;
        c.disabled = disabled;
        c.check = check;
        c.inter = inter;
        c.fastinter = fastinter;
        c.downinter = downinter;
        c.rise = rise;
        c.fall = fall;
        c.checkPort = checkPort;
        c.checkAddr = checkAddr;
        c.checkSsl = checkSsl;
        c.maxconn = maxconn;
        c.maxqueue = maxqueue;
        c.minconn = minconn;
        c.slowstart = slowstart;
        c.cookie = cookie;
        c.ssl = ssl;
        c.sendProxy = sendProxy;
        c.sendProxyV2 = sendProxyV2;
        c.redir = redir;
        c.resolveLater = resolveLater;
        c.options.putAll(options);
        return c;
    }

    Server toServer(String name, String address, int port, boolean portOffset, Location where) {
        return new Server(name, address, port, portOffset, weight, backup, disabled, check, inter,
                fastinter == 0 ? inter : fastinter, downinter == 0 ? inter : downinter, rise, fall,
                checkPort, checkAddr, checkSsl, maxconn, maxqueue, minconn, slowstart, cookie, ssl,
                sendProxy, sendProxyV2, redir, options, where);
    }
}
