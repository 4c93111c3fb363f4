<?php
/**
 * PHPUnit bootstrap: loads only the pure-PHP logic classes (no WordPress).
 *
 * @package ShopAffiliate
 */

define( 'SHOPAFFILIATE_TESTS', true );

foreach ( glob( dirname( __DIR__ ) . '/includes/logic/*.php' ) as $shopaffiliate_file ) {
	require_once $shopaffiliate_file;
}
