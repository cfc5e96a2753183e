package io.haquark.acl;

/**
 * Where a sample expression is evaluated, for HAProxy's load-time check that a fetch can
 * find what it reads there (configuration.txt §7.3: each fetch says where it is usable):
 * no response in an http-request rule, no request headers in an http-response rule.
 */
public enum SamplePhase {
    /** Not checked (log formats, places where both messages exist). */
    ANY,
    HTTP_REQUEST,
    HTTP_RESPONSE
}
