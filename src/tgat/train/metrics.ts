/** Ranking metrics of a binary scorer: average precision and ROC AUC, both with exact tie handling. */

function order(scores: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * Average precision = Σ_k (R_k − R_{k−1})·P_k over distinct score thresholds (descending), as sklearn's
 * average_precision_score: tied scores enter together. Throws when there is no positive label.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkInputs(scores, labels, 'averagePrecision');
  const idx = order(scores);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] ? 1 : 0;
  if (pos === 0) throw new Error('averagePrecision: no positive labels');
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let r = 0; r < idx.length;) {
    const s = scores[idx[r]];
    while (r < idx.length && scores[idx[r]] === s) {
      tp += labels[idx[r]] ? 1 : 0;
      seen++;
      r++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
  }
  return ap;
}

/** ROC AUC = P(score of a random positive > a random negative) + ½·P(tie) (Mann–Whitney with mid-ranks). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkInputs(scores, labels, 'rocAuc');
  const idx = order(scores);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] ? 1 : 0;
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0)
    throw new Error(`rocAuc: needs both classes, got ${pos} positive, ${neg} negative`);
  // walk from the highest score down; count, for each negative, the positives ranked strictly above it
  let posAbove = 0;
  let wins = 0;
  for (let r = 0; r < idx.length;) {
    const s = scores[idx[r]];
    let p = 0;
    let q = 0;
    while (r < idx.length && scores[idx[r]] === s) {
      if (labels[idx[r]]) p++;
      else q++;
      r++;
    }
    wins += q * (posAbove + 0.5 * p);
    posAbove += p;
  }
  return wins / (pos * neg);
}

function checkInputs(scores: ArrayLike<number>, labels: ArrayLike<number>, fn: string): void {
  if (scores.length !== labels.length) {
    throw new Error(`${fn}: scores has ${scores.length} values but labels has ${labels.length}`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`${fn}: scores[${i}] is NaN`);
  }
}
