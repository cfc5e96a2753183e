package io.haquark.model;

/** A custom error answer: {@code errorfile} (raw HTTP file), or {@code errorloc*} (redirect). */
public record ErrorFile(int status, String file, String location, int redirectCode) {
}
