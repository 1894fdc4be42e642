// The tray icon: Postdesk keeps running (and publishing scheduled posts) after its window is
// closed, so the tray is where the user reopens or quits it.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';

export interface TrayActions {
  open(): void;
  quit(): void;
}

export function trayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Postdesk', click: () => actions.open() },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ];
}

function loadIcon(iconPath: string): NativeImage {
  const image = nativeImage.createFromPath(iconPath);
  if (image.isEmpty()) console.warn(`[tray] icon missing at ${iconPath}; the tray entry may be invisible`);
  return image;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  const tray = new Tray(loadIcon(iconPath));
  tray.setToolTip('Postdesk');
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(actions)));
  // Windows and most Linux trays: a plain click should bring the window back.
  tray.on('click', () => actions.open());
  return tray;
}
