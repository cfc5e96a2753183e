package io.haquark.config;

import io.haquark.model.KeywordError;
import io.haquark.model.Location;
import io.haquark.model.Userlist;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code userlist <name>}: {@code group <name> [users u1,u2]} and {@code user <name> [password|insecure-password p] [groups g1,g2]}. */
final class UserlistBuilder {
    final String name;
    final Location where;
    final Map<String, Userlist.User> users = new LinkedHashMap<>();
    final Map<String, List<String>> groups = new LinkedHashMap<>();

    UserlistBuilder(String name, Location where) {
        this.name = name;
        this.where = where;
    }

    void parse(ConfigLine line) {
        switch (line.keyword()) {
            case "group" -> {
                ProxyKeywords.needArgs(line, 1, "<name> as argument");
                if (groups.containsKey(line.arg(1))) {
                    throw new KeywordError("Group '" + line.arg(1) + "' already exists in userlist '" + name + "'.");
                }
                List<String> members = new ArrayList<>();
                for (int i = 2; i < line.size(); i++) {
                    if (line.arg(i).equals("users")) {
                        members.addAll(List.of(line.arg(++i).split(",")));
                    } else {
                        throw new KeywordError("'group' only supports 'users' option.");
                    }
                }
                groups.put(line.arg(1), members);
            }
            case "user" -> {
                ProxyKeywords.needArgs(line, 1, "<name> as argument");
                if (users.containsKey(line.arg(1))) {
                    throw new KeywordError("User '" + line.arg(1) + "' already exists in userlist '" + name + "'.");
                }
                String password = null;
                boolean insecure = false;
                List<String> memberOf = new ArrayList<>();
                for (int i = 2; i < line.size(); i++) {
                    switch (line.arg(i)) {
                        case "password" -> password = line.arg(++i);
                        case "insecure-password" -> {
                            password = line.arg(++i);
                            insecure = true;
                        }
                        case "groups" -> memberOf.addAll(List.of(line.arg(++i).split(",")));
                        default -> throw new KeywordError("'user' only supports 'password', 'insecure-password' and 'groups' options.");
                    }
                }
                users.put(line.arg(1), new Userlist.User(line.arg(1), password, insecure, memberOf));
            }
            default -> throw new KeywordError("unknown keyword '" + line.keyword() + "' in 'users' section");
        }
    }

    Userlist build() {
        List<Userlist.Group> gs = new ArrayList<>();
        groups.forEach((g, members) -> gs.add(new Userlist.Group(g, members)));
        return new Userlist(name, new ArrayList<>(users.values()), gs, where);
    }
}
