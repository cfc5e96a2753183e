package io.haquark.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/** Reloads when a configuration file changes (editors write in bursts: changes settle for 300 ms first). */
final class ConfigWatcher {
    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);
    private final WatchService service;
    private final Thread thread;
    private volatile boolean stopped;

    private ConfigWatcher(WatchService service, Set<Path> files, Runnable reload) {
        this.service = service;
        this.thread = new Thread(() -> loop(files, reload), "haquark-config-watch");
        thread.setDaemon(true);
    }

    static ConfigWatcher start(List<Path> files, Runnable reload) {
        try {
            WatchService ws = FileSystems.getDefault().newWatchService();
            Set<Path> watched = new HashSet<>();
            Set<Path> dirs = new HashSet<>();
            for (Path f : files) {
                Path abs = f.toAbsolutePath();
                watched.add(abs);
                dirs.add(abs.getParent());
            }
            for (Path d : dirs) {
                d.register(ws, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            }
            ConfigWatcher w = new ConfigWatcher(ws, watched, reload);
            w.thread.start();
            LOG.infof("watching %d configuration file(s) for changes", watched.size());
            return w;
        } catch (IOException e) {
            LOG.warnf("cannot watch the configuration files: %s", e.getMessage());
            return null;
        }
    }

    private void loop(Set<Path> files, Runnable reload) {
        while (!stopped) {
            try {
                WatchKey key = service.take();
                boolean ours = false;
                for (WatchEvent<?> ev : key.pollEvents()) {
                    Path p = ((Path) key.watchable()).resolve((Path) ev.context()).toAbsolutePath();
                    ours |= files.contains(p);
                }
                key.reset();
                if (ours) {
                    Thread.sleep(300);
                    WatchKey more;
                    while ((more = service.poll()) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    LOG.info("configuration changed, reloading");
                    reload.run();
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            }
        }
    }

    void stop() {
        stopped = true;
        try {
            service.close();
        } catch (IOException e) {
            // closing anyway
        }
        thread.interrupt();
    }
}
