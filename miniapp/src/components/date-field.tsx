import { Input, Picker, View } from '@tarojs/components';
import { today } from '../utils/dates';
import './date-field.css';

interface Props {
  /** YYYY-MM-DD, or null when nothing is chosen yet. */
  value: string | null | undefined;
  onChange: (day: string | null) => void;
  /** The earliest and latest days that may be chosen (YYYY-MM-DD). */
  start?: string;
  end?: string;
  placeholder?: string;
  /** Extra class for tests and styling, e.g. `input-visited-on`. */
  className?: string;
}

/**
 * A day, with each platform's own date control: WeChat's date picker wheel in the mini program, the
 * browser's date input in H5 (where officials also work at a desk, with a keyboard).
 */
export function DateField({ value, onChange, start, end, placeholder = '请选择日期', className }: Props) {
  const classes = className ? `input input-date ${className}` : 'input input-date';
  if (process.env.TARO_ENV === 'h5') {
    return (
      <Input
        className={classes}
        value={value ?? ''}
        placeholder={placeholder}
        nativeProps={{ type: 'date', min: start, max: end }}
        onInput={(event) => onChange(event.detail.value || null)}
      />
    );
  }
  return (
    <Picker mode="date" value={value ?? end ?? today()} start={start} end={end} onChange={(event) => onChange(String(event.detail.value))}>
      <View className={value ? classes : `${classes} input-empty`}>{value ?? placeholder}</View>
    </Picker>
  );
}
