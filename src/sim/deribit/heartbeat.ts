// `public/set_heartbeat`: every interval the server either reassures the client (a heartbeat,
// when the client has spoken since the last tick) or asks it to prove it is alive (a
// test_request); a test_request left unanswered for a whole interval ends the connection.

export interface HeartbeatSink {
  send(type: 'heartbeat' | 'test_request'): void;
  /** Ends the connection as the venue does on a missed test_request. */
  terminate(): void;
}

export class Heartbeat {
  private readonly timer: NodeJS.Timeout;
  private heardSinceTick = false;
  private awaitingAnswer = false;

  constructor(
    intervalSec: number,
    private readonly sink: HeartbeatSink,
  ) {
    this.timer = setInterval(() => this.tick(), intervalSec * 1000);
  }

  /** Any request from the client counts as an answer. */
  heard(): void {
    this.heardSinceTick = true;
    this.awaitingAnswer = false;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    if (this.awaitingAnswer) {
      this.stop();
      this.sink.terminate();
      return;
    }
    if (this.heardSinceTick) {
      this.heardSinceTick = false;
      this.sink.send('heartbeat');
      return;
    }
    this.awaitingAnswer = true;
    this.sink.send('test_request');
  }
}
