package io.haquark.engine;

/** The cookie date encoding, for tests and tools outside the engine package. */
public final class CookiePersistenceAccess {
    private CookiePersistenceAccess() {
    }

    public static String encodeDate(long epochSeconds) {
        return CookiePersistence.encodeDate(epochSeconds);
    }
}
