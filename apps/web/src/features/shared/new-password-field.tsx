'use client';

import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { TextField, type TextFieldProps } from '@/components/ui/field';
import { estimateStrength } from './load-strength';
import { PasswordStrength } from './password-strength';
import { type Strength } from './strength';

/** The words of the form's name and email fields, which a password should not be made of. */
const formWords = (input: HTMLInputElement) =>
  ['name', 'email'].flatMap((name) => {
    const field = input.form?.elements.namedItem(name);
    return field instanceof HTMLInputElement && field.value ? [field.value] : [];
  });

export interface NewPasswordFieldProps extends Omit<TextFieldProps, 'type' | 'autoComplete'> {
  /** What the user is known by (name, email), besides the form's own name and email fields. */
  userInputs?: readonly string[];
}

/** A field for choosing a password, with its strength meter. */
export function NewPasswordField({ userInputs = [], onChange, ...props }: NewPasswordFieldProps) {
  const [strength, setStrength] = useState<Strength | null>(null);
  const latest = useRef(0);
  const frame = useRef<HTMLDivElement>(null);

  // A reset of the form (after a change is saved) empties the field: and the meter.
  useEffect(() => {
    const form = frame.current?.closest('form');
    const clear = () => {
      latest.current++;
      setStrength(null);
    };
    form?.addEventListener('reset', clear);
    return () => form?.removeEventListener('reset', clear);
  }, []);

  const estimate = (event: ChangeEvent<HTMLInputElement>) => {
    onChange?.(event);
    const input = event.currentTarget;
    const call = ++latest.current;
    void estimateStrength(input.value, [...userInputs, ...formWords(input)]).then((result) => {
      // Answers may come back out of order while the estimator loads: the last keystroke wins.
      if (call === latest.current) setStrength(result);
    });
  };

  return (
    <div ref={frame} className="flex flex-col gap-2">
      <TextField
        type="password"
        autoComplete="new-password"
        minLength={10}
        {...props}
        onChange={estimate}
      />
      <PasswordStrength strength={strength} />
    </div>
  );
}
