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
  FeeLineKindSchema,
  PricingError,
  quotePackage,
  quoteSpan,
  type FeeLine,
  type FeeLineKind,
  type PricingErrorCode,
  type Quote,
  type QuoteContext,
} from './quote';
