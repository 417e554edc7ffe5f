package dev.aimnext.operators.dataset.stage;

/** A row's entry in one LSH bucket: enough to compare it with the bucket's other rows. */
public class BucketMember {

    /** {@code band:bucket}, the key of the near-dup step. */
    public String bucket;
    public String rowId;
    public int[] signature;

    public BucketMember() {}

    public BucketMember(String bucket, String rowId, int[] signature) {
        this.bucket = bucket;
        this.rowId = rowId;
        this.signature = signature;
    }
}
