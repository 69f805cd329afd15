export {
  BILLING_STEPS,
  DayTypeRatesSchema,
  PriceBandSchema,
  PricePlanSchema,
  SessionPackageSchema,
  type DayTypeRates,
  type PriceBand,
  type PricePlan,
  type PricePlanInput,
  type SessionPackage,
} from './price-plan';
export {
  PricingError,
  quotePackage,
  quoteSpan,
  type FeeLine,
  type PricingErrorCode,
  type Quote,
  type QuoteContext,
} from './quote';
