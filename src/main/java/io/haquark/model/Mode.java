package io.haquark.model;

/** Proxy mode (configuration.txt "mode"). */
public enum Mode { HTTP, TCP, LOG }
