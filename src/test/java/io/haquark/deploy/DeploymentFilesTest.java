package io.haquark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haquark.config.ConfigLoader;
import io.haquark.config.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The deployment files, checked where no container engine runs: the Dockerfiles parse (known
 * instructions, FROM first, stages that exist, JSON exec forms), run as non-root, read the
 * config where the official haproxy image does and expose the management port; the Kubernetes
 * manifests probe the health endpoints and carry a haproxy.cfg haquark accepts.
 */
class DeploymentFilesTest {
    private static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
            "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER");

    record Instruction(String name, String args, int line) {
    }

    static List<Instruction> parse(Path file) throws Exception {
        List<Instruction> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        StringBuilder cur = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (cur == null && (l.isEmpty() || l.startsWith("#"))) {
                continue;
            }
            if (cur == null) {
                cur = new StringBuilder();
                start = i + 1;
            }
            boolean more = l.endsWith("\\");
            cur.append(more ? l.substring(0, l.length() - 1) : l).append(' ');
            if (!more) {
                String text = cur.toString().strip();
                int sp = text.indexOf(' ');
                out.add(new Instruction(text.substring(0, sp < 0 ? text.length() : sp).toUpperCase(), sp < 0 ? "" : text.substring(sp + 1).strip(), start));
                cur = null;
            }
        }
        assertTrue(cur == null, file + ": a line continuation runs off the end");
        return out;
    }

    static void check(Path file) throws Exception {
        List<Instruction> ins = parse(file);
        assertFalse(ins.isEmpty(), file + " is empty");
        Set<String> stages = new HashSet<>();
        boolean seenFrom = false;
        String user = null;
        for (Instruction i : ins) {
            assertTrue(INSTRUCTIONS.contains(i.name()), file + ":" + i.line() + ": unknown instruction " + i.name());
            if (!seenFrom) {
                assertTrue(i.name().equals("FROM") || i.name().equals("ARG"), file + ":" + i.line() + ": FROM must come first");
            }
            switch (i.name()) {
                case "FROM" -> {
                    seenFrom = true;
                    user = null;
                    String[] w = i.args().split("\\s+");
                    assertTrue(w.length == 1 || w.length == 3 && w[1].equalsIgnoreCase("AS"), file + ":" + i.line() + ": FROM <image> [AS <name>]");
                    if (w.length == 3) {
                        stages.add(w[2]);
                    }
                }
                case "COPY" -> {
                    for (String w : i.args().split("\\s+")) {
                        if (w.startsWith("--from=")) {
                            assertTrue(stages.contains(w.substring(7)), file + ":" + i.line() + ": no stage " + w.substring(7));
                        }
                    }
                }
                case "USER" -> user = i.args();
                case "ENTRYPOINT", "CMD" -> {
                    if (i.args().startsWith("[")) {
                        assertTrue(i.args().matches("\\[\\s*\"(?:[^\"\\\\]|\\\\.)*\"(\\s*,\\s*\"(?:[^\"\\\\]|\\\\.)*\")*\\s*]"),
                                file + ":" + i.line() + ": exec form is not a JSON array of strings: " + i.args());
                    }
                }
                default -> { }
            }
        }
        assertTrue(user != null && !user.equals("root") && !user.equals("0"), file + ": the final stage runs as non-root");
        String all = String.join("\n", ins.stream().map(x -> x.name() + " " + x.args()).toList());
        assertTrue(all.contains("/usr/local/etc/haproxy/haproxy.cfg"), file + ": reads the official image's config path");
        assertTrue(ins.stream().anyMatch(x -> x.name().equals("EXPOSE") && x.args().contains("9180")), file + ": exposes the management port");
        assertTrue(all.contains("QUARKUS_HTTP_HOST=0.0.0.0"), file + ": management port reachable by probes");
    }

    @Test
    void dockerfilesParseAndFollowTheRules() throws Exception {
        check(Path.of("Dockerfile.native"));
        check(Path.of("src/main/docker/Dockerfile.jvm"));
        for (String copied : List.of("mvnw", "pom.xml", ".mvn", "grammar", "src")) {
            assertTrue(Files.exists(Path.of(copied)), "Dockerfile.native copies " + copied);
        }
    }

    @Test
    void kubernetesManifestsProbeHealthAndCarryAValidConfig() throws Exception {
        String deployment = Files.readString(Path.of("deploy/kubernetes/deployment.yaml"));
        assertTrue(deployment.contains("path: /q/health/live") && deployment.contains("path: /q/health/ready"), "probes");
        assertTrue(deployment.contains("containerPort: 9180") && deployment.contains("QUARKUS_HTTP_HOST"), "management port");
        assertTrue(deployment.contains("mountPath: /usr/local/etc/haproxy"), "config mount");
        assertTrue(Files.readString(Path.of("deploy/kubernetes/service.yaml")).contains("kind: Service"));
        String cm = Files.readString(Path.of("deploy/kubernetes/configmap.yaml"));
        String cfg = cm.substring(cm.indexOf("haproxy.cfg: |") + "haproxy.cfg: |".length())
                .lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip()).reduce("", (a, b) -> a + b + "\n");
        // Cluster DNS names do not resolve here: the same file with loopback servers must load.
        String local = cfg.replaceAll("[a-z0-9.-]+\\.svc\\.cluster\\.local", "127.0.0.1");
        var config = new ConfigLoader(Map.of(), Path.of(".")).loadText("configmap.yaml", local, new Diagnostics());
        assertEquals(4, config.proxies().size(), "main, static, dynamic, stats");
    }
}
