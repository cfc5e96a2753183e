package io.haquark.model;

import java.util.List;

/**
 * An ACL condition after {@code if}/{@code unless} (configuration.txt §7.2): alternatives
 * (separated by {@code ||}) of terms that must all hold. The acl package compiles it.
 */
public record Condition(boolean unless, List<List<Term>> alternatives) {

    public Condition {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    /** One term: a named ACL or an anonymous ACL {@code { fetch [flags] [values] }}, maybe negated. */
    public record Term(boolean negated, String aclName, List<String> anonymous) {
        public Term {
            anonymous = anonymous == null ? null : List.copyOf(anonymous);
        }

        public boolean isAnonymous() {
            return anonymous != null;
        }
    }
}
