package io.haquark.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparison harness: one config template run by haquark and, when installed, by
 * HAProxy, each on its own frontend port ({@code @FE@} in the template). Tests send the same
 * requests to both and compare status and serving backend.
 */
public final class Twin implements AutoCloseable {
    public final ProxyUnderTest haquark;
    public final int haquarkPort;
    public final HAProxyProcess haproxy;
    public final int haproxyPort;

    /** The extra @NAME@ ports of each instance, by token name without the @. */
    public final java.util.Map<String, Integer> haquarkExtra = new java.util.HashMap<>();
    public final java.util.Map<String, Integer> haproxyExtra = new java.util.HashMap<>();

    private Twin(ProxyUnderTest haquark, int haquarkPort, HAProxyProcess haproxy, int haproxyPort) {
        this.haquark = haquark;
        this.haquarkPort = haquarkPort;
        this.haproxy = haproxy;
        this.haproxyPort = haproxyPort;
    }

    public static Twin start(String template) throws Exception {
        int a = FreePorts.next();
        java.util.Map<String, Integer> extraA = new java.util.HashMap<>();
        java.util.Map<String, Integer> extraB = new java.util.HashMap<>();
        ProxyUnderTest put = ProxyUnderTest.start(ports(template, a, extraA));
        HAProxyProcess ref = null;
        int b = -1;
        if (HAProxyBinary.available()) {
            b = FreePorts.next();
            ref = HAProxyProcess.start(ports(template, b, extraB), b);
        }
        Twin t = new Twin(put, a, ref, b);
        extraA.forEach((k, v) -> t.haquarkExtra.put(k.replace("@", ""), v));
        extraB.forEach((k, v) -> t.haproxyExtra.put(k.replace("@", ""), v));
        return t;
    }

    /** @FE@ becomes the given port; any other @NAME@ a fresh port of this instance's own. */
    static String ports(String template, int fe, java.util.Map<String, Integer> given) {
        String out = template.replace("@FE@", Integer.toString(fe));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@[A-Z0-9]+@").matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int p = given.computeIfAbsent(m.group(), k -> FreePorts.next());
            m.appendReplacement(sb, Integer.toString(p));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    public boolean hasReference() {
        return haproxy != null;
    }

    /** "haquark" or "haproxy": which instance listens on that port, for assertion messages. */
    public String name(int port) {
        return port == haquarkPort ? "haquark" : "haproxy";
    }

    /** haquark's port first, then HAProxy's when it runs. */
    public List<Integer> ports() {
        List<Integer> p = new ArrayList<>();
        p.add(haquarkPort);
        if (haproxy != null) {
            p.add(haproxyPort);
        }
        return p;
    }

    @Override
    public void close() throws Exception {
        haquark.close();
        if (haproxy != null) {
            haproxy.close();
        }
    }
}
