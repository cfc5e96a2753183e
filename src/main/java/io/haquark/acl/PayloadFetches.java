package io.haquark.acl;

import java.util.List;

/**
 * Layer-6 fetches on what the client sent before the rules decide (configuration.txt §7.3.5):
 * {@code req.payload(<offset>,<length>)} and {@code req.payload_lv(<offset1>,<length>[,<offset2>])},
 * with their old names {@code payload} / {@code payload_lv}, and {@code res.payload} /
 * {@code res.payload_lv} on the server's bytes. While the bytes asked for have not arrived the
 * sample "may change": inspecting rules wait for more, until their inspect-delay ends.
 */
final class PayloadFetches {
    private PayloadFetches() {
    }

    static void register(FetchRegistry.Access r) {
        // req.* read what the client sent, res.* what the server sent, while tcp-response rules inspect it.
        register(r, List.of("req.payload", "payload"), List.of("req.payload_lv", "payload_lv"), SampleSource::payload);
        register(r, List.of("res.payload"), List.of("res.payload_lv"), SampleSource::responsePayload);
    }

    private static void register(FetchRegistry.Access r, List<String> slices, List<String> lengthValues,
                                 java.util.function.Function<SampleSource, byte[]> data) {
        for (String name : slices) {
            r.add(name, SampleType.BINARY, 2, 2, a -> {
                int offset = number(name, a.get(0), false);
                int length = number(name, a.get(1), false);
                return s -> incomplete(s, slice(data.apply(s), offset, length));
            });
        }
        for (String name : lengthValues) {
            r.add(name, SampleType.BINARY, 2, 3, a -> {
                int lengthAt = number(name, a.get(0), false);
                int lengthSize = number(name, a.get(1), false);
                if (lengthSize < 1 || lengthSize > 4) {
                    throw new AclException("fetch method '" + name + "' : length size must be between 1 and 4");
                }
                String third = a.size() > 2 ? a.get(2).trim() : null;
                boolean relative = third != null && (third.startsWith("+") || third.startsWith("-"));
                int valueAt = third == null ? lengthAt + lengthSize
                        : relative ? lengthAt + lengthSize + number(name, third, true) : number(name, third, false);
                return s -> incomplete(s, lengthValue(data.apply(s), lengthAt, lengthSize, valueAt));
            });
        }
    }

    /** No sample from the bytes there so far: more may come while the rules inspect (HAProxy's "may change"). */
    private static byte[] incomplete(SampleSource s, byte[] sample) {
        if (sample == null) {
            s.sampleMayChange();
        }
        return sample;
    }

    private static int number(String fetch, String text, boolean signed) {
        String t = text.trim();
        try {
            int v = Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
            if (v < 0 && !signed) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AclException("fetch method '" + fetch + "' : failed to parse '" + text + "' as type 'integer'");
        }
    }

    /** length 0: everything from offset on. */
    static byte[] slice(byte[] data, int offset, int length) {
        if (data == null) {
            return null;
        }
        int end = length == 0 ? data.length : offset + length;
        if (offset > data.length || end > data.length || (length == 0 && offset >= data.length)) {
            return null;
        }
        return java.util.Arrays.copyOfRange(data, offset, end);
    }

    /** A big-endian length of lengthSize bytes at lengthAt, then that many bytes at valueAt. */
    static byte[] lengthValue(byte[] data, int lengthAt, int lengthSize, int valueAt) {
        if (data == null || lengthAt + lengthSize > data.length || valueAt < 0) {
            return null;
        }
        long size = 0;
        for (int i = 0; i < lengthSize; i++) {
            size = (size << 8) | (data[lengthAt + i] & 0xff);
        }
        if (valueAt + size > data.length) {
            return null;
        }
        return java.util.Arrays.copyOfRange(data, valueAt, (int) (valueAt + size));
    }
}
