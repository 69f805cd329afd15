export {
  DayTypeOverridesSchema,
  DayTypeSchema,
  makeDayTypeResolver,
  officialDayType,
  type DayType,
  type DayTypeOverrides,
} from './day-type';
