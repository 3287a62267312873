import type { ChatRequest } from './chat.ts';
import type { Lane } from './lane.ts';

/**
 * How the offline `sim` provider learns what to answer: the task that made a
 * request knows what it asks, so a task that can be simulated hands the sim
 * one of these. Real providers never see it; requests stay provider-neutral.
 */
export interface Simulator {
  /** The simulated model's reply to a request this task made, or undefined for a request it does not know. */
  reply(lane: Lane, request: ChatRequest): string | undefined;
}
