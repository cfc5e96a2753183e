package io.haquark.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The haproxy-compatible command line, parsed. Flags follow HAProxy 2.6's usage text;
 * those that only tune HAProxy internals (pollers, splice ...) are accepted without effect.
 */
public record LaunchOptions(List<Path> configFiles, boolean check, boolean debug, boolean foreground,
                            boolean daemon, String pidFile, int version, boolean quiet, String localPeer,
                            List<Long> finishPids, List<Long> terminatePids, String evalCondition,
                            String chdir, boolean masterWorker, List<String> ignored) {

    public static final String USAGE = """
            Usage : haquark [-f <cfgfile|cfgdir>]* [ -vdVD ] [ -n <maxconn> ] [ -N <maxpconn> ]
                    [ -p <pidfile> ] [ -m <max megs> ] [ -C <dir> ] [-- <cfgfile>*]
                    -v displays version ; -vv shows known build options.
                    -d enters debug mode ; -db only disables background mode.
                    -V enters verbose mode (disables quiet mode)
                    -D goes daemon ; -C changes to <dir> before loading files.
                    -W master-worker mode.
                    -q quiet mode : don't display messages
                    -c check mode : only check config files and exit
                    -cc check condition : evaluate a condition and exit
                    -n sets the maximum total # of connections (uses ulimit -n)
                    -m limits the usable amount of memory (in MB)
                    -N sets the default, per-proxy maximum # of connections (0)
                    -L set local peer name (default to hostname)
                    -p writes pids of all children to this file
                    -sf/-st [pid ]* finishes/terminates old pids.
            """;

    /** Thrown for an unusable command line; the launcher prints the usage and exits 1. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static LaunchOptions parse(String[] args) throws UsageException {
        List<Path> files = new ArrayList<>();
        boolean check = false;
        boolean debug = false;
        boolean foreground = false;
        boolean daemon = false;
        String pid = null;
        int version = 0;
        boolean quiet = false;
        String peer = null;
        List<Long> finish = new ArrayList<>();
        List<Long> terminate = new ArrayList<>();
        String cond = null;
        String chdir = null;
        boolean mw = false;
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-f" -> files.add(Path.of(value(args, ++i, a)));
                case "-c" -> check = true;
                case "-cc" -> cond = value(args, ++i, a);
                case "-d" -> {
                    debug = true;
                    foreground = true;
                }
                case "-db" -> foreground = true;
                case "-D" -> daemon = true;
                case "-W", "-Ws" -> mw = true;
                case "-p" -> pid = value(args, ++i, a);
                case "-v" -> version = Math.max(version, 1);
                case "-vv" -> version = 2;
                case "-V" -> quiet = false;
                case "-q" -> quiet = true;
                case "-L" -> peer = value(args, ++i, a);
                case "-C" -> chdir = value(args, ++i, a);
                case "-n", "-N", "-m", "-x", "-S" -> ignored.add(a + " " + value(args, ++i, a));
                case "-sf", "-st" -> {
                    List<Long> target = a.equals("-sf") ? finish : terminate;
                    while (i + 1 < args.length && args[i + 1].matches("\\d+")) {
                        target.add(Long.parseLong(args[++i]));
                    }
                }
                case "--" -> {
                    while (i + 1 < args.length) {
                        files.add(Path.of(args[++i]));
                    }
                }
                default -> {
                    if (a.matches("-d[eEpkSMrRVWGKLDZF].*") || a.equals("-dr") || a.equals("-dW")) {
                        ignored.add(a);
                    } else if (a.startsWith("-f") && a.length() > 2) {
                        files.add(Path.of(a.substring(2)));
                    } else {
                        throw new UsageException("unknown option '" + a + "'");
                    }
                }
            }
        }
        return new LaunchOptions(files, check, debug, foreground, daemon, pid, version, quiet, peer, finish,
                terminate, cond, chdir, mw, ignored);
    }

    private static String value(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length) {
            throw new UsageException("option '" + flag + "' expects an argument");
        }
        return args[i];
    }
}
