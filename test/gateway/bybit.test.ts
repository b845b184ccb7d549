// The gateway through the Bybit adapter (signed REST orders, private WebSocket stream)
// against the simulator.

import { describeGatewayAgainst } from './support/scenarios.js';

describeGatewayAgainst({
  venue: 'bybit',
  perpetual: 'BTCUSDT',
  oddOptionAmount: { asked: '0.016', sent: '0.01' },
  underMinimum: '0.005',
  reduceOnlyMessage: /Reduce-only rule not satisfied/,
  fundsMessage: null,
});
