package dev.webtalk;

/**
 * What one engine holds right now (see {@link WebTalk#load()}): counts kept in memory, read without
 * touching the store, so a metrics scrape or a health check may read them often. Counts of this node
 * only, except where said.
 *
 * @param connections          open connections
 * @param roomsLoaded          rooms whose live state is in memory (used since they were last idle)
 * @param roomsActive          loaded rooms with at least one user present (in a cluster, on any node)
 * @param pendingWrites        write groups waiting for the store writer (bounded by {@link Limits#maxPendingWrites()})
 * @param queuedRoomTasks      tasks waiting on the rooms' lanes, all rooms together
 * @param queuedOutboundFrames frames the transport holds for clients and has not written yet, all
 *                             connections together (0 from a transport that does not say)
 */
public record EngineLoad(int connections, int roomsLoaded, int roomsActive, int pendingWrites, int queuedRoomTasks,
                         long queuedOutboundFrames) {
}
