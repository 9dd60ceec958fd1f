// Rendering and queueing one account's Stripe events: envelopes with seeded ids, `previous_attributes`, a check
// that the story never goes back in time, and what each emitted event settles in the summary.
import { buildEvent, previousAttributes } from "./envelope";
import type { InvoiceModel, Shape, SubscriptionModel } from "./models";
import type { Rng } from "./random";
import { renderInvoice } from "./render-invoice";
import { renderSubscription } from "./render-subscription";
import { expectedSubscription, type Timed } from "./summary";

export abstract class StripeEmitter {
  protected readonly queue: Timed[] = [];
  protected clock = 0;

  constructor(
    protected readonly rng: Rng,
    protected readonly shape: Shape,
    private readonly endAt: number,
  ) {}

  /** The story, one step at a time; each step queues the events it rendered. */
  protected abstract steps(): Generator<void>;

  /** The events in time order, stopping at the horizon. */
  *stream(): Generator<Timed> {
    const steps = this.steps();
    for (;;) {
      const done = steps.next().done;
      // Each step queues the events it rendered; a story's last step may queue events and return at once.
      for (const timed of this.queue) {
        if (timed.at > this.endAt) return;
        yield timed;
      }
      this.queue.length = 0;
      if (done) return;
    }
  }

  protected emit(
    type: string,
    at: number,
    object: Record<string, unknown>,
    origin: "api" | "auto",
    /** `rng`: a stream of the event's own, for an event added to the story without moving its other draws. */
    options: { previous?: Record<string, unknown>; sub?: SubscriptionModel; rng?: Rng } = {},
  ) {
    if (at < this.clock) throw new Error(`billing: ${type} at ${at} before ${this.clock}`);
    this.clock = at;
    const event = buildEvent({
      rng: options.rng ?? this.rng,
      shape: this.shape,
      type,
      created: at,
      object,
      previous: options.previous,
      origin,
    });
    const expected = options.sub ? expectedSubscription(options.sub) : null;
    this.queue.push({
      at,
      item: { kind: "stripe", event },
      commit: expected ? (tally) => tally.subscription(expected) : undefined,
    });
  }

  protected subEvent(
    type: string,
    at: number,
    sub: SubscriptionModel,
    before: Record<string, unknown> | null,
    origin: "api" | "auto",
  ) {
    const object = renderSubscription(sub, this.shape);
    const previous = before ? previousAttributes(before, object) : undefined;
    this.emit(type, at, object, origin, { previous, sub });
  }

  protected invoiceEvent(type: string, at: number, inv: InvoiceModel) {
    this.emit(type, at, renderInvoice(inv, this.shape), "auto");
  }
}
