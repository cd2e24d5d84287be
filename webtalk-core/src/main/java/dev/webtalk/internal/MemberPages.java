package dev.webtalk.internal;

import dev.webtalk.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Pages of a room's member list: who is online first, then everyone else, each part by name (case
 * folded) and then user id. A join answers only the {@link #FIRST_PAGE first page}, so its reply and the
 * cost of encoding it do not grow with the room; the {@code members} request pages on from an opaque
 * cursor, which names the last member of the previous page by its sort key. Paging is by key, not by
 * offset: a member who joins, leaves or comes online between two pages moves in the order, and may then
 * be seen twice or not at all, but nobody else is skipped or repeated; member pushes keep a client's list
 * current anyway.
 */
final class MemberPages {
    /** Members in a join result. */
    static final int FIRST_PAGE = 100;
    /** The most members one {@code members} request may ask for. */
    static final int MAX_PAGE = 200;

    private static final char SEPARATOR = '\u0001';
    private static final Comparator<Key> ORDER = Comparator.comparing((Key k) -> !k.online)
            .thenComparing(Key::name).thenComparing(Key::id);

    /** One page and the cursor for the next, {@code null} after the last. */
    record Page(List<JoinResult.MemberView> members, String next) {
    }

    private record Key(boolean online, String name, String id) {
        static Key of(JoinResult.MemberView view) {
            return new Key(view.online(), view.member().displayName().toLowerCase(Locale.ROOT),
                    view.member().userId().value());
        }
    }

    private MemberPages() {
    }

    /**
     * The page after {@code cursor} ({@code null}: the first) of at most {@code limit} members.
     *
     * @throws InvalidRequestException when {@code cursor} is not one this class made
     */
    static Page page(List<JoinResult.MemberView> all, String cursor, int limit) {
        Key after = cursor == null ? null : decode(cursor);
        // Keys made once per member (not per comparison), and only those past the cursor sorted.
        List<Entry> rest = new ArrayList<>(all.size());
        for (JoinResult.MemberView view : all) {
            Key key = Key.of(view);
            if (after == null || ORDER.compare(key, after) > 0) {
                rest.add(new Entry(key, view));
            }
        }
        rest.sort(Comparator.comparing(Entry::key, ORDER));
        int to = Math.min(rest.size(), limit);
        List<JoinResult.MemberView> page = new ArrayList<>(to);
        for (int i = 0; i < to; i++) {
            page.add(rest.get(i).view());
        }
        String next = to < rest.size() && to > 0 ? encode(rest.get(to - 1).key()) : null;
        return new Page(List.copyOf(page), next);
    }

    private record Entry(Key key, JoinResult.MemberView view) {
    }

    private static String encode(Key key) {
        String raw = (key.online ? "1" : "0") + SEPARATOR + key.name + SEPARATOR + key.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Key decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int first = raw.indexOf(SEPARATOR);
            int last = raw.lastIndexOf(SEPARATOR);
            String flag = first == 1 ? raw.substring(0, 1) : "";
            if (first != 1 || last <= first || !(flag.equals("0") || flag.equals("1"))) {
                throw new IllegalArgumentException("malformed");
            }
            return new Key(flag.equals("1"), raw.substring(first + 1, last), raw.substring(last + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'after' is not a cursor given by this server");
        }
    }
}
