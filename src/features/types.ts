/** Types shared by the node and edge feature modules. */

/** One named, documented feature dimension. */
export interface FeatureSpec {
  name: string;
  doc: string;
}

/** A feature matrix of one session. */
export interface FeatureMatrix {
  /** Row-major n × d, float32. */
  data: Float32Array;
  /** Rows (events or edges). */
  n: number;
  /** Columns (features). */
  d: number;
  names: readonly string[];
}

export interface FeatureOptions {
  /** z-score each column within the session (default true). */
  standardize?: boolean;
}
