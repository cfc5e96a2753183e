package io.haquark.acl;

/** Sample types of configuration.txt §7.3; they decide an ACL's default match method. */
public enum SampleType { STRING, INTEGER, IP, BOOLEAN, BINARY, METHOD }
