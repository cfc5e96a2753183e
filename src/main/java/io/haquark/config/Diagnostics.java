package io.haquark.config;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Alerts and warnings met while loading a configuration, printed the way HAProxy 2.6 prints
 * them: {@code [ALERT]    (pid) : config : parsing [file:line] : message}.
 */
public final class Diagnostics {

    public enum Level { ALERT, WARNING, NOTICE }

    public record Message(Level level, String location, String text) {
        public String format(long pid) {
            String tag = "[" + level + "]";
            String where = location == null ? "" : "parsing [" + location + "] : ";
            return String.format("%-10s (%d) : config : %s%s", tag, pid, where, text);
        }
    }

    private final List<Message> messages = new ArrayList<>();

    public void alert(ConfigLine line, String text) {
        messages.add(new Message(Level.ALERT, line == null ? null : line.location(), text));
    }

    public void alert(String location, String text) {
        messages.add(new Message(Level.ALERT, location, text));
    }

    public void warning(ConfigLine line, String text) {
        messages.add(new Message(Level.WARNING, line == null ? null : line.location(), text));
    }

    public void warning(String location, String text) {
        messages.add(new Message(Level.WARNING, location, text));
    }

    public void notice(ConfigLine line, String text) {
        messages.add(new Message(Level.NOTICE, line == null ? null : line.location(), text));
    }

    public boolean hasAlerts() {
        return messages.stream().anyMatch(m -> m.level() == Level.ALERT);
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public List<Message> alerts() {
        return messages.stream().filter(m -> m.level() == Level.ALERT).toList();
    }

    public List<Message> warnings() {
        return messages.stream().filter(m -> m.level() == Level.WARNING).toList();
    }

    public void print(PrintStream out) {
        long pid = ProcessHandle.current().pid();
        for (Message m : messages) {
            out.println(m.format(pid));
        }
    }
}
