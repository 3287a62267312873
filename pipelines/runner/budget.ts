/** A spending cap across concurrent requests: each request reserves its estimate before it is sent. */
export class CostBudget {
  private spent = 0;
  private reserved = 0;

  constructor(readonly maxUsd: number | undefined) {}

  /** Reserves an estimate; false when sending would take spending past the cap. */
  reserve(estimateUsd: number): boolean {
    if (this.maxUsd === undefined) return true;
    if (this.spent + this.reserved + estimateUsd > this.maxUsd) return false;
    this.reserved += estimateUsd;
    return true;
  }

  /** Replaces a reservation by what the request really cost. */
  settle(estimateUsd: number, actualUsd: number): void {
    if (this.maxUsd !== undefined) this.reserved = Math.max(0, this.reserved - estimateUsd);
    this.spent += actualUsd;
  }

  /** Adds cost already spent (a resumed run's earlier steps). */
  addSpent(usd: number): void {
    this.spent += usd;
  }

  get spentUsd(): number {
    return this.spent;
  }
}
