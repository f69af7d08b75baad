import type { LocalizedText } from '../../core/text/localized.ts';
import type { FingerprintDeviceError } from './errors.ts';

export type Capture = 1 | 2;

/** Where an enrolment is, for the guided prompts on the staff screen. */
export type EnrollStep =
  | { step: 'place'; capture: Capture }
  | { step: 'captured'; capture: Capture }
  /** a poor image: the finger must come off and go on again */
  | { step: 'retry'; capture: Capture; error: FingerprintDeviceError }
  | { step: 'lift' }
  | { step: 'merging' }
  | { step: 'storing'; page: number }
  | { step: 'done'; page: number };

/** What the staff screen says at each step: an instruction to the person, never a code. */
export function enrollPrompt(step: EnrollStep): LocalizedText {
  switch (step.step) {
    case 'place':
      return step.capture === 1
        ? { zh: '请将手指平放在指纹仪上', en: 'Lay your finger flat on the reader' }
        : { zh: '请再次按压同一手指', en: 'Place the same finger again' };
    case 'captured':
      return step.capture === 1
        ? { zh: '第一次采集成功', en: 'First capture taken' }
        : { zh: '第二次采集成功', en: 'Second capture taken' };
    case 'retry':
      return { zh: `${step.error.text.zh}。请抬起手指后重新按压`, en: `${step.error.text.en}. Lift your finger and place it again` };
    case 'lift':
      return { zh: '请抬起手指', en: 'Lift your finger' };
    case 'merging':
      return { zh: '正在生成指纹模板…', en: 'Creating the fingerprint template…' };
    case 'storing':
      return { zh: '正在保存指纹…', en: 'Saving the fingerprint…' };
    case 'done':
      return { zh: '指纹录入成功', en: 'Fingerprint enrolled' };
  }
}
