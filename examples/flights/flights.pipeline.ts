/**
 * Three million US domestic flights from the first half of 2001, cleaned and joined with airport
 * names, then summarised per origin airport and per day. The transforms show both styles Stepwise
 * accepts: DataFrame operations (clean_flights, delay_by_day) and the `sql` template
 * (delay_by_origin).
 */
import { BronzeStep, definePipeline, F, GoldStep, read, SilverStep, sql } from '@stepwise/engine';

const DATA = '../../node_modules/vega-datasets/data';

/** Minutes of delay after which a flight counts as delayed, as airlines report it. */
const DELAYED_AFTER_MINUTES = 15;

export default definePipeline({
  schema: 'flights',
  sources: {
    flights: read.parquet(`${DATA}/flights-3m.parquet`),
    airports: read.csv(`${DATA}/airports.csv`),
  },
  params: {
    delay_by_origin: { minFlights: 1000, delayCap: 180 },
  },
  steps: [
    new BronzeStep({
      name: 'flights',
      description:
        'One row per flight: departure time, delay and distance, origin and destination.',
      rules: {
        date: ['not_null'],
        origin: ['not_null'],
        destination: ['not_null'],
      },
    }),
    new BronzeStep({
      name: 'airports',
      description: 'US airports by IATA code, with name, city and state.',
      rules: { iata: ['not_null'] },
    }),
    new SilverStep({
      name: 'clean_flights',
      description:
        'Flights with their departure day and origin airport. A left join keeps flights ' +
        'whose origin is unknown, so the origin_state rule catches them instead of losing them.',
      sourceBronze: 'flights',
      sourceSilvers: ['airports'],
      transform: (_session, flights, { airports }) => {
        const origins = airports!.select(
          F.col('iata').alias('origin'),
          F.col('name').alias('origin_name'),
          F.col('city').alias('origin_city'),
          F.col('state').alias('origin_state'),
        );
        return flights
          .withColumn('origin', F.upper(F.trim('origin')))
          .withColumn('destination', F.upper(F.trim('destination')))
          .withColumn('flight_date', F.toDate('date'))
          .join(origins, 'origin', 'left');
      },
      rules: {
        date: ['not_null'],
        // Early departures of more than two hours, or delays of more than ten hours, are
        // recording errors in this data set rather than real flights.
        delay: ['not_null', ['between', -120, 600]],
        distance: [['gt', 0]],
        origin: ['not_null', ['regex', '^[A-Z]{3}$']],
        destination: ['not_null', ['regex', '^[A-Z]{3}$']],
        origin_state: ['not_null'],
      },
    }),
    new GoldStep({
      name: 'delay_by_origin',
      description: 'Delay statistics per origin airport, for airports with enough flights.',
      sourceSilvers: ['clean_flights'],
      transform: (_session, { clean_flights }, { minFlights = 1000, delayCap = 180 } = {}) => sql`
        SELECT
          origin,
          any_value(origin_name) AS origin_name,
          any_value(origin_city) AS origin_city,
          count(*) AS flights,
          round(avg(least(delay, CAST(${delayCap} AS BIGINT))), 2) AS avg_delay,
          quantile_cont(delay, 0.9) AS p90_delay,
          round(avg(CASE WHEN delay > ${DELAYED_AFTER_MINUTES} THEN 1 ELSE 0 END), 4)
            AS share_delayed
        FROM ${clean_flights}
        GROUP BY origin
        HAVING count(*) >= ${minFlights}
        ORDER BY flights DESC`,
      rules: {
        origin: ['not_null'],
        flights: ['positive'],
        avg_delay: ['not_null'],
        share_delayed: [['between', 0, 1]],
      },
    }),
    new GoldStep({
      name: 'delay_by_day',
      description: 'Flights, average delay and share of delayed flights per day.',
      sourceSilvers: ['clean_flights'],
      transform: (_session, { clean_flights }) =>
        clean_flights!
          .groupBy('flight_date')
          .agg(
            F.count().alias('flights'),
            F.round(F.avg('delay'), 2).alias('avg_delay'),
            F.round(
              F.avg(F.when(F.col('delay').gt(DELAYED_AFTER_MINUTES), 1).otherwise(0)),
              4,
            ).alias('share_delayed'),
          )
          .orderBy('flight_date'),
      rules: {
        flight_date: ['not_null'],
        flights: ['positive'],
        share_delayed: [['between', 0, 1]],
      },
    }),
  ],
});
