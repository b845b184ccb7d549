// The gateway through the Deribit adapter (JSON-RPC over WebSocket) against the simulator.

import { describeGatewayAgainst } from './support/scenarios.js';

describeGatewayAgainst({
  venue: 'deribit',
  perpetual: 'BTC-PERPETUAL',
  oddOptionAmount: { asked: '0.25', sent: '0.2' },
  underMinimum: '0.05',
  reduceOnlyMessage: /reduce-only order would increase the position.*other_reject/,
  fundsMessage: /not_enough_funds/,
});
