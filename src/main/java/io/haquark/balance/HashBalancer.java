package io.haquark.balance;

import io.haquark.acl.SampleSource;
import io.haquark.state.ServerState;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Hash-based algorithms (source, uri, url_param, hdr, rdp-cookie, hash): the same key goes
 * to the same server while the set of usable servers is unchanged. {@code map-based}
 * indexes the weights; {@code consistent} uses a ring so a server going away only moves
 * its own keys. A missing key falls back to round robin, as HAProxy does.
 */
final class HashBalancer implements Balancer {
    private static final int POINTS_PER_WEIGHT = 16;

    private final Function<SampleSource, String> key;
    private final boolean consistent;
    private final String function;
    private final RoundRobin fallback = new RoundRobin();
    // Consistent ring, rebuilt when the candidate set changes.
    private ServerState[] ringFor = new ServerState[0];
    private long[] ringPoints = new long[0];
    private ServerState[] ringOwners = new ServerState[0];

    HashBalancer(Function<SampleSource, String> key, boolean consistent, String function) {
        this.key = key;
        this.consistent = consistent;
        this.function = function;
    }

    @Override
    public ServerState pick(ServerState[] candidates, SampleSource request) {
        String k = request == null ? null : key.apply(request);
        if (k == null) {
            return fallback.pick(candidates, request);
        }
        long h = HashFunctions.hash(function, k);
        return consistent ? ring(candidates, h) : mapBased(candidates, h);
    }

    private ServerState mapBased(ServerState[] candidates, long h) {
        long total = 0;
        for (ServerState s : candidates) {
            total += s.weight();
        }
        long slot = HashFunctions.avalanche(h) % total;
        for (ServerState s : candidates) {
            slot -= s.weight();
            if (slot < 0) {
                return s;
            }
        }
        return candidates[candidates.length - 1];
    }

    private ServerState ring(ServerState[] candidates, long h) {
        if (!Arrays.equals(candidates, ringFor) || weightsChanged()) {
            buildRing(candidates);
        }
        long point = HashFunctions.avalanche(h);
        int i = Arrays.binarySearch(ringPoints, point);
        if (i < 0) {
            i = -i - 1;
        }
        return ringOwners[i % ringOwners.length];
    }

    private int[] ringWeights = new int[0];

    private boolean weightsChanged() {
        for (int i = 0; i < ringFor.length; i++) {
            if (ringFor[i].weight() != ringWeights[i]) {
                return true;
            }
        }
        return false;
    }

    private void buildRing(ServerState[] candidates) {
        int total = 0;
        for (ServerState s : candidates) {
            total += s.weight() * POINTS_PER_WEIGHT;
        }
        long[][] pts = new long[total][];
        int n = 0;
        for (ServerState s : candidates) {
            for (int p = 0; p < s.weight() * POINTS_PER_WEIGHT; p++) {
                long point = HashFunctions.avalanche(HashFunctions.hash("sdbm", s.name() + "#" + p));
                pts[n++] = new long[] {point, s.index};
            }
        }
        Arrays.sort(pts, (a, b) -> Long.compare(a[0], b[0]));
        ringPoints = new long[total];
        ringOwners = new ServerState[total];
        for (int i = 0; i < total; i++) {
            ringPoints[i] = pts[i][0];
            for (ServerState s : candidates) {
                if (s.index == pts[i][1]) {
                    ringOwners[i] = s;
                }
            }
        }
        ringFor = candidates.clone();
        ringWeights = Arrays.stream(candidates).mapToInt(ServerState::weight).toArray();
    }
}
