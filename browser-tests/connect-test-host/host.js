// A customer's app page: it opens Graphgate's Connect UI with Nango's frontend SDK, exactly as the SDK's docs say,
// and records every event the Connect UI sends (the browser tests read window.connectEvents).
import Nango from './node_modules/@nangohq/frontend/dist/index.js';

const query = new URLSearchParams(location.search);
const graphgate = query.get('graphgate');
window.connectEvents = [];

function open() {
  const nango = new Nango({ connectSessionToken: query.get('token') || undefined });
  const options = {
    baseURL: `${graphgate}/connect/`,
    apiURL: graphgate,
    onEvent: (event) => {
      window.connectEvents.push(event);
      const item = document.createElement('li');
      item.textContent = JSON.stringify(event);
      document.getElementById('events').append(item);
    },
  };
  if (query.get('theme')) options.themeOverride = query.get('theme');
  if (query.get('detectClosedAuthWindow')) options.detectClosedAuthWindow = true;
  window.connectUI = nango.openConnectUI(options);
}

document.getElementById('open').addEventListener('click', open);
