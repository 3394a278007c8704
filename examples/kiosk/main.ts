import { startKiosk } from './kiosk.js';

const root = document.getElementById('app')!;
startKiosk(root).then(
  () => root.setAttribute('data-ready', 'true'),
  (error) => {
    root.textContent = `The kiosk could not start: ${(error as Error).message}`;
  },
);
