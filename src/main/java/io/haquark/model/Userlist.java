package io.haquark.model;

import java.util.List;

/** {@code userlist <name>} with its users and groups (configuration.txt §3.4). */
public record Userlist(String name, List<User> users, List<Group> groups, Location where) {
    public Userlist {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }

    /** A user; {@code insecure} means the password is clear text, otherwise it is a crypt(3) hash. */
    public record User(String name, String password, boolean insecure, List<String> groups) {
        public User {
            groups = List.copyOf(groups);
        }
    }

    public record Group(String name, List<String> users) {
        public Group {
            users = List.copyOf(users);
        }
    }
}
