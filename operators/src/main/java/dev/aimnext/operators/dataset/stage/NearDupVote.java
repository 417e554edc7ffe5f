package dev.aimnext.operators.dataset.stage;

/**
 * Either a kept row or a vote that a row is a near-duplicate of a lower one; both are keyed by row
 * id so {@link NearDupRemovalFunction} sees a row together with every vote against it.
 */
public class NearDupVote {

    public String rowId;
    /** The row itself, or {@code null} for a vote. */
    public PreparedRow row;
    /** For a vote: the lower row it duplicates, and their estimated Jaccard similarity. */
    public String duplicateOf;
    public double jaccard;

    public NearDupVote() {}

    /** The row as a vote; its signature is dropped, since only the LSH branch needs it. */
    public static NearDupVote row(PreparedRow row) {
        NearDupVote v = new NearDupVote();
        v.rowId = row.rowId;
        v.row = row.withoutSignature();
        return v;
    }

    public static NearDupVote against(String rowId, String duplicateOf, double jaccard) {
        NearDupVote v = new NearDupVote();
        v.rowId = rowId;
        v.duplicateOf = duplicateOf;
        v.jaccard = jaccard;
        return v;
    }
}
