const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the form of the API's ids (every table has UUID keys). */
export const isUuid = (value: string): boolean => UUID.test(value);
