// Test-only preload (`node --import`): makes a `dabba up` under test reach the fake NodeProxy instead of a node agent.
// Loaded only through NODE_OPTIONS by test/e2e/streams; nothing in the product imports it.
import { ApiServer } from '../../../src/apiserver/apiserver.ts';
import { fakeNodeProxy } from './fake-node-proxy.ts';

const workDir = process.env.DABBA_TEST_FAKE_NODE_PROXY_DIR;
if (workDir) {
  const fake = fakeNodeProxy({ workDir });
  const setNodeProxy = ApiServer.prototype.setNodeProxy;
  const init = ApiServer.prototype.init;
  // A real node agent connecting later must not replace the fake.
  ApiServer.prototype.setNodeProxy = function () {
    setNodeProxy.call(this, fake);
  };
  ApiServer.prototype.init = async function () {
    await init.call(this);
    setNodeProxy.call(this, fake);
  };
}
