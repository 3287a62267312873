/** An evidence passage an MCQ item's answer can be cited from. */
export interface EvidencePassage {
  id: string;
  text: string;
}

export interface McqOption {
  key: string;
  text: string;
  /** A PRO card: a short (≤ 15 tokens) argument for this option, cited first when it is chosen. */
  pro?: string;
}

export interface McqItem {
  kind: 'mcq';
  id: string;
  /** Items that share a passage or template; the statistics cluster on it. */
  cluster: string | null;
  question: string;
  options: McqOption[];
  /** The gold option's key. */
  answer: string;
  evidence: EvidencePassage[];
  tags: string[];
  /** Fields the suite format does not know (e.g. a source dataset's own), kept verbatim; absent when there are none. */
  meta?: Record<string, unknown>;
}

/** An MCQ item without passages is closed-book (MMLU/ARC style): scored on its answer alone, its evidence metrics null. */
export function isClosedBook(item: McqItem): boolean {
  return item.evidence.length === 0;
}

export interface RubricCriterion {
  id: string;
  description: string;
  max: number;
}

export interface Rubric {
  author: string;
  status: 'accepted' | 'draft' | 'rejected';
  created_at: string;
  criteria: RubricCriterion[];
}

export interface PromptItem {
  kind: 'prompt';
  id: string;
  cluster: string | null;
  system?: string;
  /** The context package the answer must use. */
  context: string;
  prompt: string;
  rubrics: Rubric[];
  /** Fields the suite format does not know, kept verbatim; absent when there are none. */
  meta?: Record<string, unknown>;
}

export type SuiteItem = McqItem | PromptItem;

/** One parsed line (JSONL) or row (CSV) before validation, with the file and line it starts on. */
export interface RawRecord {
  file: string;
  line: number;
  value: unknown;
}

export interface Suite {
  name: string;
  path: string;
  sha256: string;
  items: SuiteItem[];
}
