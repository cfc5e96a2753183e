package io.haquark.acl;

/** A sample converter bound to its arguments (configuration.txt §7.3.1). */
@FunctionalInterface
public interface Converter {
    /** @return the converted sample, or null when the conversion fails (the sample is then absent) */
    Object convert(Object sample, SampleSource s);
}
