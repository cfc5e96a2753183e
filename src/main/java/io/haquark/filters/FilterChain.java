package io.haquark.filters;

import io.haquark.rules.HttpMessageView;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters a transaction passes through: its frontend's, then its backend's (a listen's
 * once). {@link #start} gives the per-transaction run, or null when no filter takes part,
 * so a proxy without filters costs one null check per message.
 */
public final class FilterChain {
    public static final FilterChain NONE = new FilterChain(List.of());

    private final HttpFilter[] filters;

    public FilterChain(List<HttpFilter> filters) {
        this.filters = filters.toArray(new HttpFilter[0]);
    }

    public boolean isEmpty() {
        return filters.length == 0;
    }

    /**
     * The run for one transaction of this (frontend's) chain followed by the backend's (the
     * same chain twice, a listen, counts once); null when no filter takes part.
     */
    public Run start(HttpMessageView txn, FilterChain backend) {
        if (filters.length == 0 && backend.filters.length == 0) {
            return null;
        }
        List<HttpFilter.Stream> streams = new ArrayList<>(filters.length + backend.filters.length);
        add(streams, filters, txn);
        if (backend != this) {
            add(streams, backend.filters, txn);
        }
        return streams.isEmpty() ? null : new Run(streams.toArray(new HttpFilter.Stream[0]));
    }

    private static void add(List<HttpFilter.Stream> streams, HttpFilter[] filters, HttpMessageView txn) {
        for (HttpFilter f : filters) {
            HttpFilter.Stream s = f.start(txn);
            if (s != null) {
                streams.add(s);
            }
        }
    }

    /** One transaction's filters, called in order, each body part passed from one to the next. */
    public static final class Run {
        private final HttpFilter.Stream[] streams;

        Run(HttpFilter.Stream[] streams) {
            this.streams = streams;
        }

        public void requestHeaders(HttpMessageView txn, HttpRequest request) {
            for (HttpFilter.Stream s : streams) {
                s.requestHeaders(txn, request);
            }
        }

        public HttpContent requestData(HttpMessageView txn, HttpContent part) {
            for (HttpFilter.Stream s : streams) {
                part = s.requestData(txn, part);
            }
            return part;
        }

        public void responseHeaders(HttpMessageView txn, HttpResponse response) {
            for (HttpFilter.Stream s : streams) {
                s.responseHeaders(txn, response);
            }
        }

        public HttpContent responseData(HttpMessageView txn, HttpContent part) {
            for (HttpFilter.Stream s : streams) {
                part = s.responseData(txn, part);
            }
            return part;
        }

        public void end(HttpMessageView txn) {
            for (HttpFilter.Stream s : streams) {
                s.end(txn);
            }
        }
    }
}
