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

    private Twin(ProxyUnderTest haquark, int haquarkPort, HAProxyProcess haproxy, int haproxyPort) {
        this.haquark = haquark;
        this.haquarkPort = haquarkPort;
        this.haproxy = haproxy;
        this.haproxyPort = haproxyPort;
    }

    public static Twin start(String template) throws Exception {
        int a = FreePorts.next();
        ProxyUnderTest put = ProxyUnderTest.start(ports(template, a));
        HAProxyProcess ref = null;
        int b = -1;
        if (HAProxyBinary.available()) {
            b = FreePorts.next();
            ref = HAProxyProcess.start(ports(template, b), b);
        }
        return new Twin(put, a, ref, b);
    }

    /** @FE@ becomes the given port; any other @NAME@ a fresh port of this instance's own. */
    static String ports(String template, int fe) {
        String out = template.replace("@FE@", Integer.toString(fe));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@[A-Z0-9]+@").matcher(out);
        java.util.Map<String, Integer> given = new java.util.HashMap<>();
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
