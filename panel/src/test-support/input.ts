import { sendKeys, sendMouse } from '@web/test-runner-commands';

export type Modifier = 'Shift' | 'Control';

/** Real key presses through the browser (puppeteer), with modifiers held down around them. */
export async function press(key: string, ...modifiers: Modifier[]): Promise<void> {
  for (const m of modifiers) await sendKeys({ down: m });
  await sendKeys({ press: key });
  for (const m of [...modifiers].reverse()) await sendKeys({ up: m });
}

/** A real mouse click in the middle of an element, with modifiers held down. */
export async function click(el: Element, ...modifiers: Modifier[]): Promise<void> {
  const r = el.getBoundingClientRect();
  for (const m of modifiers) await sendKeys({ down: m });
  await sendMouse({ type: 'click', position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)] });
  for (const m of [...modifiers].reverse()) await sendKeys({ up: m });
}
